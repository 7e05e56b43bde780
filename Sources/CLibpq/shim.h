// libpq, PostgreSQL's own C client (Debian: libpq-dev), for FiregridPostgres. Included by its
// path under /usr/include so that no -I flag is needed (no pkgConfig: one less flag SwiftPM
// could reject); libpq-fe.h finds its own headers beside it.
#ifndef FIREGRID_CLIBPQ_SHIM_H
#define FIREGRID_CLIBPQ_SHIM_H

#include <postgresql/libpq-fe.h>

// PG_DIAG_* are character macros Swift does not import as constants.
static const int firegrid_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int firegrid_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;
static const int firegrid_pg_diag_message_detail = PG_DIAG_MESSAGE_DETAIL;

#endif
