//! Every strict prefix of every golden vector through `smpp-std`: no frame,
//! no owned PDU, and a reader that reports the stream ending inside a PDU.

use std::io::ErrorKind as IoErrorKind;

use bytes::Bytes;
use smpp_std::{Frame, SmppReader, StreamError, parse_owned};
use smpp_tests::fuzzing::golden_vectors;
use smpp_tests::testdata::prefix_error;

#[test]
fn no_frame_or_owned_pdu_from_a_prefix() {
    for (name, frame) in golden_vectors() {
        let whole = Bytes::from(frame.clone());
        assert_eq!(Frame::new(whole.clone()).unwrap().bytes, whole, "{name}");
        assert!(parse_owned(&whole).is_ok(), "{name}");
        for n in 0..frame.len() {
            let prefix = whole.slice(..n);
            let err = Frame::new(prefix.clone()).unwrap_err();
            let expected = prefix_error(frame.len(), n);
            assert_eq!(err.kind(), expected, "{name}[..{n}]");
            let owned = parse_owned(&prefix).unwrap_err();
            assert_eq!(owned.kind(), expected, "{name}[..{n}]");
        }
    }
}

/// Reads `stream` to its end: the frames, then how it ended.
fn read_all(stream: &[u8]) -> (Vec<Frame>, Result<(), StreamError>) {
    let mut reader = SmppReader::new(stream);
    let mut frames = Vec::new();
    loop {
        match reader.read_frame() {
            Ok(Some(frame)) => frames.push(frame),
            Ok(None) => return (frames, Ok(())),
            Err(e) => {
                // Nothing after an error.
                assert!(matches!(reader.read_frame(), Ok(None)));
                return (frames, Err(e));
            }
        }
    }
}

#[test]
fn the_reader_reports_an_end_inside_a_pdu() {
    for (name, frame) in golden_vectors() {
        // Alone, then after a whole PDU.
        let stream = frame.repeat(2);
        for base in [0, frame.len()] {
            for n in 0..=frame.len() {
                let (frames, end) = read_all(&stream[..base + n]);
                let whole_frames = usize::from(base > 0) + usize::from(n == frame.len());
                assert_eq!(frames.len(), whole_frames, "{name}: {base} + {n}");
                for f in &frames {
                    assert_eq!(f.bytes, frame, "{name}");
                }
                match end {
                    Ok(()) => assert!(n == 0 || n == frame.len(), "{name}: {base} + {n}"),
                    Err(StreamError::Io(e)) => {
                        assert_eq!(e.kind(), IoErrorKind::UnexpectedEof, "{name}: {base} + {n}");
                        assert!(0 < n && n < frame.len(), "{name}: {base} + {n}");
                    }
                    Err(e) => panic!("{name}: {base} + {n}: {e}"),
                }
            }
        }
    }
}
