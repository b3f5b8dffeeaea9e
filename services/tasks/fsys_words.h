/*
 * fsys_words -- Forth words for the system itself: tracing, memory, time
 * (see fsys_words.c).  Init context (ftask_init calls it).
 */
#ifndef FSYS_WORDS_H
#define FSYS_WORDS_H

#include "kerr.h"

kerr_t fsys_words_init(void);

#endif
