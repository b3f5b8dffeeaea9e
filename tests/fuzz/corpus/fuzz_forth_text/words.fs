\ WORDS lists the dictionary, new words included
: my-unique-word ;
words cr
nosuchword-words
