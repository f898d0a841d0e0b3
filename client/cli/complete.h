/*
 * client/cli/complete.h — the hidden `grandlivre __complete` (cmd_complete.c),
 * which main.c hands its command table.
 */
#ifndef GL_CLI_COMPLETE_H
#define GL_CLI_COMPLETE_H

#include <stddef.h>

/* argv[0] is "__complete".  Returns an exit code (0, or as any command's). */
int cmd_complete(int argc, char **argv, const char *const *commands, size_t command_count);

#endif
