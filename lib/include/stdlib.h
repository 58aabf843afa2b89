/* stdlib.h - number parsing for boot parameters (lib/strtoul.c). No allocation here. */
#ifndef PCPURT_STDLIB_H
#define PCPURT_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

#endif
