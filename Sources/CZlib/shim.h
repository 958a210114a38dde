// zlib (Debian zlib1g-dev): raw DEFLATE decompression for .npz files written by
// np.savez_compressed, and CRC-32 for ZIP entries.
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call: initialise a z_stream for raw DEFLATE
// data (no zlib header), as stored in ZIP archives.
static inline int czlib_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
