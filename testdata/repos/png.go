package repos

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
)

// PNG returns a valid RGB PNG image of w x h pixels coloured by pixel. It is
// written with stored (uncompressed) deflate blocks rather than image/png, so
// its bytes, and the SHAs of the commits holding it, never depend on the Go
// version's compressor.
func PNG(w, h int, pixel func(x, y int) (r, g, b byte)) []byte {
	var raw []byte
	for y := 0; y < h; y++ {
		raw = append(raw, 0) // filter type None
		for x := 0; x < w; x++ {
			r, g, b := pixel(x, y)
			raw = append(raw, r, g, b)
		}
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per channel, truecolour
	pngChunk(&out, "IHDR", ihdr)
	pngChunk(&out, "IDAT", storedZlib(raw))
	pngChunk(&out, "IEND", nil)
	return out.Bytes()
}

func pngChunk(out *bytes.Buffer, kind string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	out.WriteString(kind)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}

// storedZlib wraps data in a zlib stream of uncompressed deflate blocks.
func storedZlib(data []byte) []byte {
	out := []byte{0x78, 0x01}
	for rest := data; ; {
		n := min(len(rest), 0xffff)
		final := byte(0)
		if n == len(rest) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, rest[:n]...)
		rest = rest[n:]
		if final == 1 {
			break
		}
	}
	return binary.BigEndian.AppendUint32(out, adler32.Checksum(data))
}
