: sq dup * ; 7 sq . 1 2 + .
