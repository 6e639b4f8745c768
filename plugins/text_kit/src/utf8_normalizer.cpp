#include <text_kit/utf8_normalizer.hpp>

#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <text_kit/append_bytes.hpp>
#include <text_kit/clean_text_scanner.hpp>
#include <text_kit/utf8.hpp>

namespace text_kit {
namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";

// The original offset that normalised offset `normalized` maps to if no anchor is added there.
std::uint64_t implied_original(const NormalizedPiece& out, std::size_t normalized) {
    if (out.anchors.empty()) return out.original_begin + normalized;
    const OffsetAnchor& last = out.anchors.back();
    return last.original + (normalized - last.normalized);
}

// Records an anchor only where the running offset mapping would otherwise be wrong.
void sync_anchor(NormalizedPiece& out, std::size_t normalized, std::uint64_t original) {
    if (implied_original(out, normalized) != original) out.anchors.push_back({normalized, original});
}

void sync_anchor(NormalizedPiece& out, std::uint64_t original) { sync_anchor(out, out.text.size(), original); }

// How much of `raw` can be normalised now: all of it at the end of the input; otherwise a
// trailing CR (maybe half of CRLF) or the start of a split sequence waits for more input.
std::size_t usable_length(const unsigned char* s, std::size_t n, bool at_end) {
    if (at_end || n == 0) return n;
    return s[n - 1] == '\r' ? n - 1 : n - incomplete_tail_length(s, n);
}

// A byte order mark is dropped where the file starts.
std::size_t bom_length(const unsigned char* s, std::size_t n, std::uint64_t raw_offset) {
    return raw_offset == 0 && n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
}

// The raw bytes being normalised, and where they start in the original input.
struct Raw {
    const unsigned char* s;
    std::size_t n;
    std::uint64_t offset;
};

// Where the input goes on after the CR at raw.s[i]. A CRLF is one line end, one code point where
// the scanner counted two.
std::size_t past_line_end(const Raw& raw, std::size_t i, std::uint64_t& code_points) {
    if (i + 1 < raw.n && raw.s[i + 1] == '\n') {
        --code_points;
        return i + 2;
    }
    return i + 1;
}

// The next CR in raw.s[i, stop), or stop. `may_hold_cr` false: the scanner saw none.
std::size_t next_cr(const Raw& raw, std::size_t i, std::size_t stop, bool may_hold_cr) {
    if (!may_hold_cr) return stop;
    const void* found = std::memchr(raw.s + i, '\r', stop - i);
    return found != nullptr ? static_cast<std::size_t>(static_cast<const unsigned char*>(found) - raw.s) : stop;
}

// Appends the clean text raw[i, stop) to `out`, its CRs and CRLFs as LF.
void append_clean(const Raw& raw, std::size_t i, std::size_t stop, bool may_hold_cr, NormalizedPiece& out) {
    while (i < stop) {
        const std::size_t line_end = next_cr(raw, i, stop, may_hold_cr);
        if (line_end > i) {
            sync_anchor(out, raw.offset + i);
            append_bytes(out.text, reinterpret_cast<const char*>(raw.s + i), line_end - i);
            i = line_end;
            if (i == stop) break;
        }
        sync_anchor(out, raw.offset + i);
        out.text.push_back('\n');
        i = past_line_end(raw, i, out.code_points);
        sync_anchor(out, raw.offset + i);
    }
}

// normalize_in_place()'s output. text[bom, written) of the piece is normalised; the raw bytes
// from where reading is on are untouched, as writing never overtakes reading. Only line ends
// shift the offsets, so an anchor can only be needed after a CR.
class InPlaceText {
public:
    InPlaceText(NormalizedPiece& out, const Raw& raw, std::size_t bom)
        : out_(out), raw_(raw), text_(out.text.data()), bom_(bom), written_(bom) {}

    // Moves the clean raw[i, stop) into place, its CRs and CRLFs as LF.
    void take_clean(std::size_t i, std::size_t stop, bool may_hold_cr) {
        while (i < stop) {
            const std::size_t line_end = next_cr(raw_, i, stop, may_hold_cr);
            if (written_ != i) std::memmove(text_ + written_, text_ + i, line_end - i);  // after a CRLF
            written_ += line_end - i;
            i = line_end;
            if (i == stop) break;
            text_[written_++] = '\n';
            i = past_line_end(raw_, i, out_.code_points);
            sync_anchor(out_, written_ - bom_, raw_.offset + i);
            i = take_crlf_lines(i, stop);
        }
    }

    // After a CR, as long as each 16 bytes hold no CR or a single CRLF (text with Windows line
    // ends), moves them down 16 at a time, the CRLF made an LF in the vector, where a memchr and a
    // memmove per line cost more. Returns where it stops: at a lone CR, a CR whose LF is in the
    // next 16 bytes or two CRs in 16 bytes (a blank line), which take_clean() moves as before. A
    // store of 16 bytes ends within the 16 just loaded, so it never overwrites text not yet read.
    std::size_t take_crlf_lines(std::size_t i, std::size_t stop) {
#ifdef __SSE2__
        const __m128i byte_index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        while (i + 16 <= stop) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_ + i));
            const auto crs = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'))));
            if (crs == 0) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(text_ + written_), bytes);
                written_ += 16;
                i += 16;
                continue;
            }
            const auto lfs = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))));
            // One CR, and its LF among these bytes (a CR at byte 15 has its bit shifted out of lfs' range).
            if ((crs & (crs - 1)) != 0 || ((crs << 1) & ~lfs) != 0) return i;
            const auto cr = static_cast<unsigned>(__builtin_ctz(crs));
            // The bytes before the CR stay, the ones after it move down one.
            const __m128i before_cr = _mm_cmplt_epi8(byte_index, _mm_set1_epi8(static_cast<char>(cr)));
            const __m128i moved = _mm_or_si128(_mm_and_si128(before_cr, bytes), _mm_andnot_si128(before_cr, _mm_srli_si128(bytes, 1)));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(text_ + written_), moved);
            --out_.code_points;  // the scanner counted the CR and the LF
            sync_anchor(out_, written_ + cr + 1 - bom_, raw_.offset + i + cr + 2);  // after the LF
            written_ += 15;
            i += 16;
        }
#endif
        return i;
    }

    // Cuts the piece down to its normalised text.
    void finish() {
        out_.text.resize(written_);
        out_.text.erase(0, bom_);
    }

private:
    NormalizedPiece& out_;
    Raw raw_;
    char* text_;
    std::size_t bom_, written_;
};

[[noreturn]] void throw_nul_byte(std::uint64_t offset) {
    throw TextDecodeError(TextDecodeError::Kind::NulByte, offset,
                          "NUL byte at byte offset " + std::to_string(offset) + ": this looks like a binary file, not text");
}

[[noreturn]] void throw_invalid_utf8(std::uint64_t offset) {
    throw TextDecodeError(TextDecodeError::Kind::InvalidUtf8, offset,
                          "invalid UTF-8 at byte offset " + std::to_string(offset) +
                              ": convert the file to UTF-8, or set on_invalid_utf8: replace to substitute U+FFFD");
}

}  // namespace

std::size_t Utf8Normalizer::normalize(std::string_view raw_text, std::uint64_t raw_offset, bool at_end,
                                      NormalizedPiece& out) {
    const Raw raw{reinterpret_cast<const unsigned char*>(raw_text.data()), raw_text.size(), raw_offset};
    const std::size_t end = usable_length(raw.s, raw.n, at_end);
    std::size_t i = bom_length(raw.s, raw.n, raw_offset);
    if (out.text.empty() && out.anchors.empty()) out.original_begin = raw_offset + i;

    CleanTextScanner scanner(raw.s, end);
    while (i < end) {
        bool may_hold_cr = true;
        const std::size_t clean_end = scanner.clean_end(i, out.code_points, may_hold_cr);
        append_clean(raw, i, clean_end, may_hold_cr, out);
        i = clean_end;
        if (i == end) break;
        if (raw.s[i] == 0) throw_nul_byte(raw_offset + i);
        if (policy_ == InvalidUtf8Policy::Error) throw_invalid_utf8(raw_offset + i);
        sync_anchor(out, raw_offset + i);
        out.text.append(kReplacementCharacter);
        ++out.code_points;
        i += invalid_subpart_length(raw.s + i, end - i);
        sync_anchor(out, raw_offset + i);
    }
    return i;
}

std::size_t Utf8Normalizer::normalize_in_place(std::uint64_t raw_offset, bool at_end, NormalizedPiece& out,
                                               std::string& held_back) {
    const Raw raw{reinterpret_cast<const unsigned char*>(out.text.data()), out.text.size(), raw_offset};
    const std::size_t end = usable_length(raw.s, raw.n, at_end);
    held_back.assign(out.text, end);
    const std::size_t bom = bom_length(raw.s, raw.n, raw_offset);
    out.original_begin = raw_offset + bom;

    InPlaceText text(out, raw, bom);
    CleanTextScanner scanner(raw.s, end);
    std::size_t i = bom;
    while (i < end) {
        bool may_hold_cr = true;
        const std::size_t clean_end = scanner.clean_end(i, out.code_points, may_hold_cr);
        text.take_clean(i, clean_end, may_hold_cr);
        i = clean_end;
        if (i == end) break;
        const bool nul = raw.s[i] == 0;
        if (!nul && policy_ == InvalidUtf8Policy::Replace) copied_rest_.assign(out.text, i);
        text.finish();  // as normalize() leaves the piece: the text before this byte
        if (nul) throw_nul_byte(raw_offset + i);
        if (policy_ == InvalidUtf8Policy::Error) throw_invalid_utf8(raw_offset + i);
        // U+FFFD can be longer than the bytes it replaces: the rest is normalised from a copy.
        return i + normalize(copied_rest_, raw_offset + i, at_end, out);
    }
    text.finish();
    return i;
}

std::string normalize_text(std::string_view raw, InvalidUtf8Policy policy) {
    Utf8Normalizer normalizer(policy);
    NormalizedPiece piece;
    normalizer.normalize(raw, 0, true, piece);
    return std::move(piece.text);
}

}  // namespace text_kit
