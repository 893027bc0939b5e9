/* Escaping echoed input (see escape.h). */
#include "lib/escape.h"

static int needs_escape(unsigned char c)
{
	/* The backslash too, so a literal "\x0a" in the input cannot pass for an escaped byte. */
	return c < 0x20 || c > 0x7e || c == '\\';
}

static size_t escaped_length(const char *in, size_t in_len)
{
	size_t n = 0;

	for (size_t i = 0; i < in_len && in[i]; i++)
		n += needs_escape((unsigned char)in[i]) ? 4 : 1;
	return n;
}

size_t escape_text(char *out, size_t out_len, const char *in, size_t in_len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (!out_len)
		return 0;
	/* Cut short: keep room for "..." so a reader sees the value goes on. */
	size_t reserve = escaped_length(in, in_len) + 1 > out_len ? 3 : 0;
	for (size_t i = 0; i < in_len && in[i]; i++) {
		unsigned char c = (unsigned char)in[i];
		size_t need = needs_escape(c) ? 4 : 1;
		if (n + need + reserve + 1 > out_len) {
			for (const char *d = "..."; *d && n + 1 < out_len; d++)
				out[n++] = *d;
			break;
		}
		if (need == 4) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return n;
}
