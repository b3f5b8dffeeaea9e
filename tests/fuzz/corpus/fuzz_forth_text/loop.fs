: x 10 0 do i . loop ; x
