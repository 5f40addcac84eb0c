#ifndef DISCOTOP_CBPF_H
#define DISCOTOP_CBPF_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../../bpf/discotop_event.h"

/// Sends libbpf's own messages to a small buffer instead of stderr, where they would garble
/// the terminal UI. The last warning stays readable to explain a failed load or attach.
void discotop_libbpf_capture_messages(void);

/// The last warning or error libbpf printed since capture began ("" if none).
const char *discotop_libbpf_last_message(void);

/// Clears the captured message, so the next failure's reason is not confused with an old one.
void discotop_libbpf_clear_message(void);

#endif
