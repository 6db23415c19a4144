// safetensors_fallback.py, written beside model.py: safetensors.torch's load_file and save_file
// in plain Python and torch, for a machine without the safetensors package (Debian's PyTorch has none).
export const SAFETENSORS_FALLBACK_PY = `"""safetensors.torch's load_file and save_file for a machine without the safetensors package."""
import json
import struct

import torch

DTYPES = {
    'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
    'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8,
    'U8': torch.uint8, 'BOOL': torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


def load_file(path, device='cpu'):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    header.pop('__metadata__', None)
    tensors = {}
    for name, info in header.items():
        start, end = info['data_offsets']
        dtype = DTYPES[info['dtype']]
        flat = torch.frombuffer(bytearray(data[8 + n + start:8 + n + end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info['shape']).to(device)
    return tensors


def save_file(tensors, path, metadata=None):
    header, blobs, at = ({'__metadata__': metadata} if metadata else {}), [], 0
    for name, t in tensors.items():
        b = t.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes() if t.numel() else b''
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
`;
