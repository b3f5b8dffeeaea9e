s" hello" type cr 65 emit .( done)
