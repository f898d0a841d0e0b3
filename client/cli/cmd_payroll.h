/*
 * client/cli/cmd_payroll.h — `grandlivre payroll` (issue 19, "Payroll
 * import"): `payroll csv-mapping` (cmd_payroll_mapping.c, offline) and
 * `payroll import` (cmd_payroll.c), over client/payroll/.
 */
#ifndef GL_CMD_PAYROLL_H
#define GL_CMD_PAYROLL_H

#include "cli.h"
#include "client/payroll/payroll.h"

#define PAYROLL_MAPPING_FOLDER "payroll-csv"
#define PAYROLL_MAPPING_DEFAULT "default"

int cmd_payroll(int argc, char **argv);
int cmd_payroll_csv_mapping(int argc, char **argv);
/* The payroll mapping name of tenant (a path when name holds a '/'):
 * 0, or an exit code after printing the error. */
int payroll_mapping_load(const char *tenant, const char *name, gl_payroll_mapping *m);

/* The month's payroll entries standing in the books (payroll_posted.c):
 * the first one with the summary's very lines (same), the first one with
 * other lines (other); num 0 when there is none. */
typedef struct payroll_entry {
    uint16_t fy;
    uint32_t num;
} payroll_entry;
typedef struct payroll_standing {
    payroll_entry same, other;
} payroll_standing;
/* 0, or an exit code after the message. */
int payroll_posted(cli *c, const gl_payroll_summary *s, payroll_standing *out);

#endif
