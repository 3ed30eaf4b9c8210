/* listen.c: HOST:PORT as [hub] listen writes it. Only addresses: a name would need a resolver
 * at boot, before the network may be up. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/listen.h"

static bool parse_port(const char *text, int *port)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (!text[0] || *end || text[0] == '+' || text[0] == '-' || n < 0 || n > 65535)
        return false;
    *port = (int)n;
    return true;
}

bool listen_parse(const char *text, struct listen_address *out, char **err)
{
    memset(out, 0, sizeof *out);
    const char *colon = strrchr(text, ':');
    char host[64];
    if (!colon || !parse_port(colon + 1, &out->port)) {
        *err = xasprintf("\"%s\" is not HOST:PORT (a port 0..65535)", text);
        return false;
    }
    int len = (int)(colon - text);
    bool v6 = len >= 2 && text[0] == '[' && text[len - 1] == ']';
    if (v6)
        snprintf(host, sizeof host, "%.*s", len - 2, text + 1);
    else
        snprintf(host, sizeof host, "%.*s", len, text);
    struct sockaddr_in *in4 = (struct sockaddr_in *)&out->addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->addr;
    if (!v6 && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)out->port);
        out->len = sizeof *in4;
        return true;
    }
    if (v6 && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)out->port);
        out->len = sizeof *in6;
        return true;
    }
    *err = xasprintf("\"%s\" is not an IPv4 address or a bracketed IPv6 one ([::1])", host);
    return false;
}
