hex ff . decimal -1 u. 123456789 . 1. d. 3 4 um* d.
