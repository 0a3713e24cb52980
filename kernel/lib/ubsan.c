/*
 * ubsan.c: the runtime of clang's -fsanitize=undefined for the kernel's
 * UBSan build (make ubsan-esp; never in the normal kernel, whose Makefile
 * leaves this file out).  Every check that fails is a kernel bug: panic
 * with what, file and line.  Each handler's first argument points at a
 * struct that starts with the source location (compiler-rt's ubsan ABI).
 * This file itself is built without the sanitizer.
 */
#include <keel/kernel.h>

struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

static void __attribute__((noreturn))
report(const char *what, const void *data)
{
	const struct source_location *loc = data;

	panic("UBSan: %s at %s:%u:%u", what, loc->file, loc->line, loc->column);
}

struct type_mismatch {
	struct source_location loc;
	const void *type;
	uint8_t log_alignment;
	uint8_t type_check_kind;
};

void __ubsan_handle_type_mismatch_v1(void *data, uint64_t ptr);

void
__ubsan_handle_type_mismatch_v1(void *data, uint64_t ptr)
{
	const struct type_mismatch *tm = data;

	if (ptr == 0)
		report("null pointer use", data);
	if (ptr & ((1UL << tm->log_alignment) - 1))
		report("misaligned pointer use", data);
	report("access to an object too small for its type", data);
}

#define HANDLER(name, what)					\
	void __ubsan_handle_##name(void *data);			\
	void __ubsan_handle_##name(void *data)			\
	{							\
		report(what, data);				\
	}

HANDLER(add_overflow, "signed addition overflow")
HANDLER(sub_overflow, "signed subtraction overflow")
HANDLER(mul_overflow, "signed multiplication overflow")
HANDLER(negate_overflow, "signed negation overflow")
HANDLER(divrem_overflow, "division overflow or by zero")
HANDLER(shift_out_of_bounds, "shift out of bounds")
HANDLER(out_of_bounds, "array index out of bounds")
HANDLER(pointer_overflow, "pointer arithmetic overflow")
HANDLER(load_invalid_value, "load of an invalid value (bool or enum)")
HANDLER(builtin_unreachable, "__builtin_unreachable reached")
HANDLER(missing_return, "end of a function without return")
HANDLER(vla_bound_not_positive, "variable-length array bound not positive")
HANDLER(float_cast_overflow, "float cast overflow")
HANDLER(invalid_builtin, "invalid builtin argument")
HANDLER(nonnull_arg, "null passed as a nonnull argument")
HANDLER(nonnull_return_v1, "null returned from a returns_nonnull function")
HANDLER(alignment_assumption, "alignment assumption violated")
HANDLER(implicit_conversion, "implicit conversion changed a value")
