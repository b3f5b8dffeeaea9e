# services/link/link.mk -- links between clio nodes (docs/links.md): the
# protocol's framing, the links, the node table and proxies, the jobs that
# serve and relay peers' requests, outbound framing, the link service.

LWIRE_SRCS := services/link/lwire.c
LINK_SRCS  := $(LWIRE_SRCS) services/link/link.c services/link/lnodes.c services/link/ljobs.c \
              services/link/lline.c services/link/lsvc.c

UNIT_TESTS += test_lwire test_link
test_lwire_SRCS := $(LWIRE_SRCS)
test_link_SRCS  := $(LINK_SRCS) $(SERVICES_SRCS) $(COMMON_SRCS) $(KERNEL_SRCS) \
                   kernel/example/echo.c hosts/linux/platform_linux.c
test_link_LIBS  := -lpthread
