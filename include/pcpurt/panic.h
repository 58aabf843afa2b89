/*
 * panic.h - ending the run on an unrecoverable error.
 *
 * panic() prints "PANIC: CPU<n>: <message>", then "RESULT: FAIL <message>", and powers
 * off with a failing status. Trap handlers print their own decoded PANIC lines between
 * panic_begin() and panic_end(). fatal() is for errors found before anything ran (a
 * broken device tree): "FATAL: <message>".
 */
#ifndef PCPURT_PANIC_H
#define PCPURT_PANIC_H

#include <pcpurt/compiler.h>

#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_PANIC	2
#define EXIT_FATAL	3

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void fatal(const char *fmt, ...) __printf(1, 2) __noreturn;
void panic_begin(void);
void panic_end(const char *fmt, ...) __printf(1, 2) __noreturn;
unsigned int panic_cpu(void);

/* result_exit() - print the closing RESULT line and power off with the matching status. */
void result_exit(bool pass, const char *why) __noreturn;

#endif
