7 buffer 1024 blank s" 1 2 + . \ x" 7 buffer swap move 7 load
8 buffer 1024 blank 7 8 thru 7 list blk @ . scr @ .
