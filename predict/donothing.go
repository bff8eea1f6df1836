package predict

import (
	"encoding/binary"
	"fmt"
)

// The do-nothing process of a sandbox node: a static Linux executable that
// waits for a signal forever, whatever its arguments. Copied under the name
// of each component (kube-apiserver, kubelet, ...), it shows in `ps` with
// exactly the command line it was started with, as kube-bench expects of
// the real binaries. It is built here, 129 bytes for amd64 and 152 for
// arm64, so that predict needs no compiler on the runner.

// doNothing returns the executable for the machine architecture goarch
// (runtime.GOARCH).
func doNothing(goarch string) ([]byte, error) {
	switch goarch {
	case "amd64":
		// loop: mov eax, 34 (pause); syscall; jmp loop
		return elf64(0x3e, []byte{0xb8, 34, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7}), nil
	case "arm64":
		// arm64 Linux has no pause(2): ppoll(NULL, 0, NULL, NULL) waits the
		// same way, until a signal
		var code []byte
		for _, ins := range []uint32{
			0xd2800000, // loop: mov x0, #0 (no fds)
			0xd2800001, //       mov x1, #0 (nfds)
			0xd2800002, //       mov x2, #0 (no timeout: wait forever)
			0xd2800003, //       mov x3, #0 (no signal mask)
			0xd2800004, //       mov x4, #0
			0xd2800928, //       mov x8, #73 (ppoll)
			0xd4000001, //       svc #0
			0x17fffff9, //       b loop
		} {
			code = binary.LittleEndian.AppendUint32(code, ins)
		}
		return elf64(0xb7, code), nil
	}
	return nil, fmt.Errorf("build the sandbox's processes: no do-nothing executable for %s (amd64 and arm64 only)", goarch)
}

// elf64 is a little-endian ELF executable of one loadable segment holding
// the headers and code, entered at code's first byte.
func elf64(machine uint16, code []byte) []byte {
	const base, ehsize, phsize = 0x400000, 64, 56
	le := binary.LittleEndian
	b := make([]byte, ehsize+phsize, ehsize+phsize+len(code))
	copy(b, "\x7fELF\x02\x01\x01") // 64-bit, little-endian, ELF version 1, System V ABI
	le.PutUint16(b[16:], 2)        // ET_EXEC
	le.PutUint16(b[18:], machine)
	le.PutUint32(b[20:], 1)                  // EV_CURRENT
	le.PutUint64(b[24:], base+ehsize+phsize) // entry
	le.PutUint64(b[32:], ehsize)             // program headers right after this header
	le.PutUint16(b[52:], ehsize)
	le.PutUint16(b[54:], phsize)
	le.PutUint16(b[56:], 1) // one program header, no sections
	ph := b[ehsize:]
	size := uint64(ehsize + phsize + len(code))
	le.PutUint32(ph[0:], 1) // PT_LOAD
	le.PutUint32(ph[4:], 5) // readable, executable
	le.PutUint64(ph[16:], base)
	le.PutUint64(ph[24:], base)
	le.PutUint64(ph[32:], size)
	le.PutUint64(ph[40:], size)
	le.PutUint64(ph[48:], 0x1000)
	return append(b, code...)
}
