/* listen.h: a HOST:PORT to listen on ([hub] listen): an IPv4 address, or an IPv6 one in
 * brackets, and a port. Read by the config check and by kiosk-hub when it binds. */
#ifndef KIOSK_LISTEN_H
#define KIOSK_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

struct listen_address {
    struct sockaddr_storage addr; /* AF_INET or AF_INET6, port set */
    socklen_t len;
    int port; /* 0 = any free port */
};

/* False with a callee-allocated *err saying what is wrong. */
bool listen_parse(const char *text, struct listen_address *out, char **err);

#endif
