/* cerr -- clio's THROW codes and iors (see cerr.h). */
#include "cerr.h"

const char *cerr_text(int code)
{
    switch (code) {
    case CERR_OK: return "ok";
    case CERR_IO: return "I/O error";
    case CERR_NOENT: return "no such file";
    case CERR_PATH: return "path refused";
    case CERR_FILE_HANDLE: return "not an open file";
    case CERR_NOHANDLES: return "too many open files";
    case CERR_EXIST: return "file exists";
    case CERR_NOSPC: return "no space left";
    case CERR_ACCESS: return "access denied";
    case CERR_ISDIR: return "is a directory";
    case CERR_DIRFULL: return "directory full";
    case CERR_BUSY: return "busy";
    case CERR_INVAL: return "malformed request";
    case CERR_NOSVC: return "no such service";
    case CERR_END: return "no more entries";
    case CERR_GONE: return "service gone";
    case CERR_HANDLE: return "not a connected service handle";
    case CERR_HANDLES_FULL: return "all service handles in use";
    case CERR_REFUSED: return "connection refused";
    case CERR_TOO_BIG: return "request or reply too big";
    case CERR_QUOTA: return "over the task's kernel memory quota";
    case CERR_NOMEM: return "kernel out of memory";
    case CERR_TIMEOUT: return "timed out";
    case CERR_NOTASK: return "no such task";
    case CERR_NOPORT: return "no such port";
    case CERR_NOMUX: return "clio was started without a serial multiplexer (--serial)";
    case CERR_NODISPLAY: return "clio was started without a display (--display)";
    case CERR_FORK_DEPTH: return "tasks nest too deep";
    case CERR_KILLED: return "killed";
    case CERR_SELF: return "a task cannot wait for itself";
    case CERR_CHUNK: return "malformed chunk (header, zero size)";
    case CERR_CHUNK_SIZE: return "chunk length is not 8 + w*h";
    case CERR_CHUNK_BOUNDS: return "chunk outside the screen";
    case CERR_NOFILES: return "no file service";
    case CERR_NONODE: return "no such node (not reachable)";
    default: return "error";
    }
}

int cerr_from_kerr(kerr_t e)
{
    switch (e) {
    case KERR_OK: return CERR_OK;
    case KERR_NOMEM: return CERR_NOMEM;
    case KERR_NOT_FOUND: return CERR_NOSVC;
    case KERR_REG_FULL: case KERR_IFACE_MISMATCH: case KERR_DUPLICATE: return CERR_REFUSED;
    case KERR_GONE: case KERR_CLOSED: return CERR_GONE;
    case KERR_TIMEOUT: return CERR_TIMEOUT;
    case KERR_TOO_BIG: return CERR_TOO_BIG;
    case KERR_CANCELLED: return CERR_KILLED;
    case KERR_BUSY: return CERR_BUSY;
    default: return CERR_INVAL;
    }
}
