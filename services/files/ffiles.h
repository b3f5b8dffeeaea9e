/*
 * ffiles -- FILE-ACCESS and INCLUDED for Forth tasks, over the file service
 * (prefix ffiles_).  The hooks (fvm_file_ops_t, fvm_file_ext_t) go into
 * ftask_config_t.files and .file_ext; every task then reads and writes
 * files through services/files/files.c, never the host directly.
 *
 * Each hook checks its arguments and marshals them, by value, into a
 * request through the Forth client layer (tasks/fclient.h): names and data
 * are copied out of (and into) the VM's memory, never passed as addresses.
 * The task waits for the reply, the kernel does not.  The connection is the
 * task's private files slot, made on first use and closed when the task
 * ends; the service then closes the files the task left open.
 *
 * A Forth fileid is the service's handle number.  iors are the service's
 * status codes (cerr.h: -38 no such file, -512 path refused, ...); a
 * buffer outside the VM's memory throws -9 as for every other word.  In
 * the root VM (no task) and without a file service every word answers
 * FILES_E_NOSVC (-542), and INCLUDED throws -38 naming the file.  Reads and
 * writes larger than FFILES_CHUNK bytes go as several requests.
 *
 * FILE-STATUS's x is the file's size in bytes (-1 for a directory).
 * OPEN-FILE r/o on a directory ("." is the root) reads as its listing,
 * one name a line (forth-lib's ls).
 */
#ifndef FFILES_H
#define FFILES_H

#include "fvm.h"

#define FFILES_CHUNK 4096      /* bytes of file data per request */

const fvm_file_ops_t *ffiles_ops(void);
const fvm_file_ext_t *ffiles_ext(void);

#endif
