/* Iterative glob with single-star backtracking: linear in practice, no recursion. */
#include "glob.h"

bool glob_match(const char *pat, size_t plen, const char *text)
{
	size_t p = 0, star_p = (size_t)-1;
	const char *t = text, *star_t = NULL;

	while (*t) {
		if (p < plen && (pat[p] == '?' || pat[p] == *t)) {
			p++;
			t++;
		} else if (p < plen && pat[p] == '*') {
			star_p = p++;
			star_t = t;
		} else if (star_t) {
			p = star_p + 1;
			t = ++star_t;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}
