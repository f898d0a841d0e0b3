/* placeholder, replaced below */
#include "cli.h"
int cmd_reminders(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_USAGE;
}
