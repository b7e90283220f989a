/* routes.h — hparsed's demo routes: a conn_handler that turns a parsed
 * request and its body into a reply, and never sees a connection. */
#ifndef HPARSED_ROUTES_H
#define HPARSED_ROUTES_H

#include <stddef.h>

#include "hparse.h"
#include "response.h"

/* The path a request is routed on: the target's path ("http://h/x?y" ->
 * "/x", as the parser splits it), "/" when it is empty (RFC 9110 §4.2.3). */
hp_span route_path(const struct hp_request *q);

/* Answers a complete request (body: the decoded body); a conn_handler. */
void route(void *arg, const struct hp_request *req, const char *body, size_t len,
           struct reply *r);

#endif
