/*
 * vsnprintf.c - printf-style formatting into a buffer, integers and strings only.
 *
 * Supports %d %i %u %x %X %o %c %s %p %%, the flags '-', '0', '+', ' ', '#', width and
 * precision (also as '*'), and the length modifiers hh h l ll z t j. No floating point:
 * the runtime has none. Output is always terminated when size > 0; the return value is
 * the length the full output would have had, as C99 says.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;	/* -1: none */
};

/* Emit one already-converted field with sign/prefix, precision zeros and padding. */
static void emit_field(struct out *o, const struct spec *sp, const char *prefix,
		       const char *digits, int ndigits)
{
	int plen = strlen(prefix);
	int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	int total = plen + zeros + ndigits;
	int pad = sp->width > total ? sp->width - total : 0;

	if (!sp->left && !(sp->zero && sp->prec < 0))
		put_repeat(o, ' ', pad);
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero && sp->prec < 0)
		put_repeat(o, '0', pad);
	put_repeat(o, '0', zeros);
	while (ndigits--)
		put(o, *digits++);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static void emit_number(struct out *o, const struct spec *sp, unsigned long long v,
			bool negative, unsigned int base, bool upper, bool is_signed)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], prefix[4] = "";
	int n = 0, p = 0;

	while (v) {
		tmp[sizeof(tmp) - 1 - n++] = dig[v % base];
		v /= base;
	}
	if (n == 0 && sp->prec != 0)
		tmp[sizeof(tmp) - 1 - n++] = '0';
	if (is_signed) {
		if (negative)
			prefix[p++] = '-';
		else if (sp->plus)
			prefix[p++] = '+';
		else if (sp->space)
			prefix[p++] = ' ';
	}
	if (sp->alt && base == 16 && n && !(n == 1 && tmp[sizeof(tmp) - 1] == '0')) {
		prefix[p++] = '0';
		prefix[p++] = upper ? 'X' : 'x';
	} else if (sp->alt && base == 8 && sp->prec <= n &&
		   (n == 0 || tmp[sizeof(tmp) - n] != '0')) {
		prefix[p++] = '0';
	}
	prefix[p] = '\0';
	emit_field(o, sp, prefix, tmp + sizeof(tmp) - n, n);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct spec sp = { .prec = -1 };
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 2;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
			emit_number(&o, &sp, u, s < 0, 10, false, true);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			emit_number(&o, &sp, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				    *fmt == 'X', false);
			break;
		case 'p':
			sp.alt = true;
			emit_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false, false);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.prec = -1;
			sp.zero = false;
			emit_field(&o, &sp, "", c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n;

			if (!str)
				str = "(null)";
			n = sp.prec >= 0 ? (int)strnlen(str, sp.prec) : (int)strlen(str);
			sp.prec = -1;
			sp.zero = false;
			emit_field(&o, &sp, "", str, n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
