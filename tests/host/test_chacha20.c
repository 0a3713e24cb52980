/*
 * test_chacha20.c: the ChaCha20 block function against RFC 8439's test
 * vector (section 2.3.2), and the counter's effect.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lib/chacha20.h>

/* Key 00 01 02 ... 1f; nonce 00 00 00 09 00 00 00 4a 00 00 00 00 (little-endian words). */
static const uint32_t rfc_key[8] = {
	0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
	0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c,
};
static const uint32_t rfc_nonce[3] = { 0x09000000, 0x4a000000, 0x00000000 };

static void
test_rfc8439_block(void **state)
{
	static const uint32_t want[16] = {
		0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
		0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
		0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
		0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
	};
	uint32_t out[16];

	(void)state;
	chacha20_block(rfc_key, 1, rfc_nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_counter_changes_block(void **state)
{
	uint32_t a[16], b[16];

	(void)state;
	chacha20_block(rfc_key, 1, rfc_nonce, a);
	chacha20_block(rfc_key, 2, rfc_nonce, b);
	assert_memory_not_equal(a, b, sizeof(a));
	chacha20_block(rfc_key, 1, rfc_nonce, b);
	assert_memory_equal(a, b, sizeof(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8439_block),
		cmocka_unit_test(test_counter_changes_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
