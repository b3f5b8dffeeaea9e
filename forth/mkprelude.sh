#!/bin/sh
# mkprelude.sh FILE.fs -- print FILE.fs as a C string constant fvm_prelude[].
# Comment-only and blank lines are dropped; the text is otherwise kept.
echo '/* generated from forth/prelude.fs by forth/mkprelude.sh: do not edit */'
echo '#include "fvm_int.h"'
echo 'const char fvm_prelude[] ='
sed -e '/^[[:space:]]*\\\([[:space:]].*\)\{0,1\}$/d' -e '/^[[:space:]]*$/d' \
    -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$1"
echo '    ;'
