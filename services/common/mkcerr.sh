#!/bin/sh
# mkcerr.sh cerr.h -- clio's THROW codes as Forth constants, for forth-lib:
# CERR_NOMUX = -534 in cerr.h becomes "-534 constant cerr-nomux", so Forth
# code names the codes of the one table instead of spelling numbers.
echo '\ generated from services/common/cerr.h by services/common/mkcerr.sh: do not edit'
sed -n 's/^ *CERR_\([A-Z_0-9]*\) = \(-[0-9][0-9]*\),.*/\2 constant cerr-\1/p' "$1" |
    grep -v 'cerr-LAST' | tr 'A-Z_' 'a-z-'
