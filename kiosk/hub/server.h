/* server.h: kiosk-hub's web server on libmicrohttpd: its own threads and epoll, requests read
 * whole (within limits) and handed to the device API (/api/v1/) or the phone pages. */
#ifndef KIOSK_HUB_SERVER_H
#define KIOSK_HUB_SERVER_H

struct hub;
struct server;

/* Listens on [hub] listen (HTTPS with [hub] tls_cert and tls_key). NULL with *err. */
struct server *server_start(struct hub *hub, char **err);

/* Stops listening and ends every connection; parked requests must have been woken. */
void server_stop(struct server *server); /* accepts NULL */

int server_port(const struct server *server);

#endif
