#!/bin/sh
# mkprelude.sh SYMBOL FILE.fs... -- print the files as one C string constant
# `const char SYMBOL[]`.  Lines that are wholly a backslash comment, and
# blank lines, are dropped; the text is otherwise kept.
sym=$1; shift
echo "/* generated from $* by forth/mkprelude.sh: do not edit */"
echo "extern const char $sym[];"
echo "const char $sym[] ="
sed -e '/^[[:space:]]*\\\([[:space:]].*\)\{0,1\}$/d' -e '/^[[:space:]]*$/d' \
    -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$@"
echo '    ;'
