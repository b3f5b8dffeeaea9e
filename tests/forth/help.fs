\ help: the docs' one line per word, topics (generated from docs/*.md)
help dup
help 2NIP
help nosuch-word
help spawn
help
