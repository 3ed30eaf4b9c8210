/* mask.h: patient names as the waiting room may see them. */
#ifndef KIOSK_MASK_H
#define KIOSK_MASK_H

#include <stddef.h>

/* Writes name masked into out (size bytes, always terminated). Chinese-style names keep the
 * first and, from three characters on, the last character (张三 -> 张*, 张三丰 -> 张*丰);
 * other names keep the first letter of each word (Maria Lopez -> M**** L****). Counts
 * characters, not bytes. */
void mask_name(const char *name, char *out, size_t size);

#endif
