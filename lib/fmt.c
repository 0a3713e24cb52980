/*
 * fmt.c: the formatter behind kprintf and fmt_snprintf (see fmt.h).
 */
#include <lib/fmt.h>

struct spec {
	int width;
	int left;	/* '-' flag */
	char pad;	/* ' ' or '0' */
};

static int
emit_padded(fmt_sink sink, void *arg, const char *s, int n, struct spec *sp)
{
	int i, out = 0;

	if (!sp->left)
		for (i = n; i < sp->width; i++, out++)
			sink(arg, sp->pad);
	for (i = 0; i < n; i++, out++)
		sink(arg, s[i]);
	if (sp->left)
		for (i = n; i < sp->width; i++, out++)
			sink(arg, ' ');
	return out;
}

static int
emit_number(fmt_sink sink, void *arg, unsigned long v, int base, int neg,
    int upper, struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp), out = 0;

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->pad == '0') {
			sink(arg, '-');
			out++;
			if (sp->width > 0)
				sp->width--;
		} else {
			tmp[--n] = '-';
		}
	}
	return out + emit_padded(sink, arg, tmp + n, sizeof(tmp) - n, sp);
}

int
fmt_vformat(fmt_sink sink, void *arg, const char *fmt, va_list ap)
{
	int out = 0;

	for (; *fmt; fmt++) {
		struct spec sp = { 0, 0, ' ' };
		int lng = 0;
		unsigned long u;
		long s;
		const char *str;

		if (*fmt != '%') {
			sink(arg, *fmt);
			out++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '0')
				sp.pad = '0';
			else
				break;
		}
		if (*fmt == '*') {
			/* The width from the arguments; a negative one is '-' (C99 7.19.6.1). */
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'c': {
			char ch = (char)va_arg(ap, int);

			out += emit_padded(sink, arg, &ch, 1, &sp);
			break;
		}
		case 's':
			str = va_arg(ap, const char *);
			if (str == 0)
				str = "(null)";
			for (s = 0; str[s]; s++)
				;
			out += emit_padded(sink, arg, str, (int)s, &sp);
			break;
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, long) : va_arg(ap, int);
			u = s < 0 ? -(unsigned long)s : (unsigned long)s;
			out += emit_number(sink, arg, u, 10, s < 0, 0, &sp);
			break;
		case 'u':
			u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out += emit_number(sink, arg, u, 10, 0, 0, &sp);
			break;
		case 'x':
		case 'X':
			u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out += emit_number(sink, arg, u, 16, 0, *fmt == 'X', &sp);
			break;
		case 'p':
			u = (unsigned long)va_arg(ap, void *);
			sink(arg, '0');
			sink(arg, 'x');
			sp.pad = '0';
			sp.width = 16;
			out += 2 + emit_number(sink, arg, u, 16, 0, 0, &sp);
			break;
		case '%':
			sink(arg, '%');
			out++;
			break;
		case '\0':
			return out;
		default:
			/* Unknown conversion: show it rather than guess. */
			sink(arg, '%');
			sink(arg, *fmt);
			out += 2;
			break;
		}
	}
	return out;
}

struct bufsink {
	char *buf;
	size_t size;
	size_t len;
};

static void
buf_put(void *arg, char c)
{
	struct bufsink *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufsink b = { buf, size, 0 };
	int n = fmt_vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int
fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
