/* kerr -- names of the kernel error codes. */
#include "kerr.h"

static const char *const names[KERR_COUNT] = {
    [KERR_OK] = "ok",
    [KERR_PENDING] = "pending",
    [KERR_NOMEM] = "out of memory",
    [KERR_DUPLICATE] = "duplicate UUID",
    [KERR_REG_FULL] = "registry full",
    [KERR_NOT_FOUND] = "not found",
    [KERR_IFACE_MISMATCH] = "interface mismatch",
    [KERR_GONE] = "service gone",
    [KERR_CLOSED] = "closed",
    [KERR_FULL] = "full",
    [KERR_EMPTY] = "empty",
    [KERR_TIMEOUT] = "timeout",
    [KERR_INVAL] = "invalid argument",
    [KERR_CANCELLED] = "cancelled",
    [KERR_TOO_BIG] = "too big",
    [KERR_BUSY] = "busy",
};

const char *kerr_str(kerr_t err)
{
    if ((unsigned)err >= KERR_COUNT)
        return "unknown error";
    return names[err];
}
