/*
 * ftask_words -- the Forth words of tasks: spawn, wait, kill, messages,
 * sleep, the task list (see ftask_words.c).  Init context, after the root
 * VM exists (ftask_init calls it).
 */
#ifndef FTASK_WORDS_H
#define FTASK_WORDS_H

#include "kerr.h"

kerr_t ftask_words_init(void);

#endif
