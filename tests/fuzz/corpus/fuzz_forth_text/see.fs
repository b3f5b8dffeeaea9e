\ SEE decompiles a colon definition
: sq dup * ;
see sq
nosuchword-see
