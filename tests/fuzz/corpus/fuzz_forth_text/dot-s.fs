\ .S shows the stack without changing it
1 2 3 .s cr
depth . cr
nosuchword-dot-s
