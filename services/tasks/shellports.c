/* shellports -- the sermux shell-port policy (see shellports.h). */
#include "shellports.h"
#include "ftask.h"
#include "kstring.h"
#include "mux/sermux.h"
#include "pt.h"

static struct {
    bool shells;
    port_t *port[SERMUX_NSHELLS];      /* open while the policy runs */
    unsigned bound[SERMUX_NSHELLS];    /* tasks bound to each */
    ftask_t *shell[SERMUX_NSHELLS];    /* the shell on each, or NULL */
    bool restart[SERMUX_NSHELLS];
    task_t keeper;                     /* restarts shells */
    uint64_t wake_at;
} sp;

static int shell_index(const port_t *p)
{
    for (int i = 0; i < SERMUX_NSHELLS; i++)
        if (sp.port[i] && sp.port[i] == p)
            return i;
    return -1;
}

static port_t *acquire(uint16_t wanted)
{
    if (wanted == FTASK_ANY_PORT) {
        for (int i = 0; i < SERMUX_NSHELLS; i++)
            if (sp.port[i] && !sp.bound[i]) {
                sp.bound[i]++;
                return sp.port[i];
            }
        return NULL;
    }
    int i = wanted >= SERMUX_PORT_SHELL0 ? wanted - SERMUX_PORT_SHELL0 : -1;
    if (i >= 0 && i < SERMUX_NSHELLS && sp.port[i]) {
        if (sp.bound[i])
            return NULL;               /* a shell or a child has it */
        sp.bound[i]++;
        return sp.port[i];
    }
    port_t *p;
    if (sermux_refs(wanted) || sermux_open(wanted, 0, &p) != KERR_OK)
        return NULL;                   /* somebody has it open */
    return p;
}

static void release(port_t *p)
{
    int i = shell_index(p);
    if (i < 0)
        sermux_close(p);
    else if (sp.bound[i])
        sp.bound[i]--;
}

/* One more task shares p: a shell port counts it as bound; a port the mux
 * opened for a task takes one more reference (sermux_open of an open port),
 * so it stays open until the last sharer releases it. */
static bool retain(port_t *p)
{
    int i = shell_index(p);
    if (i >= 0) {
        sp.bound[i]++;
        return true;
    }
    port_t *q;
    if (sermux_open(p->num, 0, &q) != KERR_OK)
        return false;
    if (q != p) {                      /* not the port it was: never held */
        sermux_close(q);
        return false;
    }
    return true;
}

static void on_end(ftask_t *f)
{
    for (int i = 0; i < SERMUX_NSHELLS; i++)
        if (sp.shell[i] == f) {
            sp.shell[i] = NULL;
            if (sp.bound[i])
                sp.bound[i]--;
            sp.restart[i] = true;
            task_wake(&sp.keeper);
        }
}

static void start_shell(int i)
{
    if (sp.bound[i])
        return;                        /* a child took the port meanwhile */
    ftask_t *f;
    if (ftask_start_shell(sp.port[i], &f) != KERR_OK)
        return;                        /* no memory: the keeper tries again */
    sp.bound[i]++;
    sp.shell[i] = f;
    sp.restart[i] = false;
}

/* Restarts the shells that ended, a little later (no spin if one cannot
 * live). */
static task_status_t keeper_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, sp.restart[0] || sp.restart[1] || sp.restart[2] || sp.restart[3]);
        sp.wake_at = plat_now() + SHELLPORTS_RESTART_MS * 1000000ull;
        PT_SLEEP_UNTIL(t, sp.wake_at);
        for (int i = 0; i < SERMUX_NSHELLS; i++)
            if (sp.restart[i] && !sp.shell[i])
                start_shell(i);
    }
    PT_END(t);
}

/* The break byte on a shell port: Ctrl-C for the task reading it. */
static void on_break(port_t *p)
{
    ftask_interrupt_port(p);
}

kerr_t shellports_start(bool shells)
{
    _Static_assert(SERMUX_NSHELLS == 4, "keeper_poll checks four");
    kmem_set(&sp, 0, sizeof sp);
    sp.shells = shells;
    kerr_t e = KERR_OK;
    for (int i = 0; i < SERMUX_NSHELLS && e == KERR_OK; i++)
        e = sermux_open((uint16_t)(SERMUX_PORT_SHELL0 + i), 0, &sp.port[i]);
    if (e != KERR_OK)
        return e;
    for (int i = 0; i < SERMUX_NSHELLS; i++)
        sp.port[i]->on_break = on_break;
    static const ftask_ports_t ports = { acquire, release, retain };
    ftask_set_ports(&ports);
    if (!shells)
        return KERR_OK;
    if ((e = ftask_on_end(on_end)) != KERR_OK || (e = task_spawn(&sp.keeper, keeper_poll, 1)) != KERR_OK)
        return e;
    for (int i = 0; i < SERMUX_NSHELLS; i++) {
        start_shell(i);
        if (!sp.shell[i])
            return KERR_NOMEM;
    }
    return KERR_OK;
}
