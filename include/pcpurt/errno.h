/*
 * errno.h - the error numbers the runtime returns (negated, as in the kernel), with
 * Linux's values so that a log reads the same.
 */
#ifndef PCPURT_ERRNO_H
#define PCPURT_ERRNO_H

#define EPERM		1
#define EIO		5
#define ENXIO		6
#define EAGAIN		11
#define ENOMEM		12
#define EBUSY		16
#define ENODEV		19
#define EINVAL		22
#define EDEADLK		35
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
#define EALREADY	114

#endif
