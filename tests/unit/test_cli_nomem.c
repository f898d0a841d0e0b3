/*
 * tests/unit/test_cli_nomem.c — the CLI reports running out of memory as
 * what it is: status 905 nomem's name and message on standard error, and
 * its own exit status, never the usage status (2) that a mistyped option
 * gets (issue 12).
 */
#include "client/cli/cli.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <stdio.h>

Test(cli_nomem, exit_status_is_not_usage)
{
    cr_assert_neq(EXIT_NOMEM, EXIT_USAGE);
    cr_assert_neq(EXIT_NOMEM, EXIT_REFUSED);
    cr_assert_neq(EXIT_NOMEM, EXIT_UNREACHABLE);
    cr_assert_neq(EXIT_NOMEM, EXIT_KEYFILE);
    cr_assert_neq(EXIT_NOMEM, EXIT_CHECK);
}

Test(cli_nomem, reports_status_905_and_what_failed, .init = cr_redirect_stderr)
{
    cr_assert_eq(cli_nomem("the balance rows"), EXIT_NOMEM);
    fflush(stderr);
    cr_assert_stderr_eq_str("grandlivre: error 905 nomem: out of memory — the balance rows\n");
}

Test(cli_nomem, without_detail, .init = cr_redirect_stderr)
{
    cr_assert_eq(cli_nomem(NULL), EXIT_NOMEM);
    fflush(stderr);
    cr_assert_stderr_eq_str("grandlivre: error 905 nomem: out of memory\n");
}
