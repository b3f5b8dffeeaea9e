\ DUMP shows memory in hex
create bytes 65 c, 66 c, 67 c, 255 c,
bytes 4 dump
nosuchword-dump
