//! Reading a request body with two bounds: its size (past `max` bytes it is
//! refused with 413 at once, not after) and its pace (a body that sends
//! nothing for [`crate::connections::BODY_IDLE_TIMEOUT`] is refused with
//! 408, so a stalled client does not hold a connection and its memory).

use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;

use crate::ApiError;

/// The whole body, at most `max` bytes; `too_large` says why a larger one
/// is refused.
pub async fn read_body(
    body: Body,
    max: usize,
    too_large: impl Fn() -> String,
) -> Result<Bytes, ApiError> {
    read_body_pacing(body, max, crate::connections::BODY_IDLE_TIMEOUT, too_large).await
}

/// [`read_body`] with `idle` as the longest pause.
pub async fn read_body_pacing(
    mut body: Body,
    max: usize,
    idle: Duration,
    too_large: impl Fn() -> String,
) -> Result<Bytes, ApiError> {
    let mut out = Vec::new();
    loop {
        let frame = tokio::time::timeout(idle, body.frame())
            .await
            .map_err(|_| {
                ApiError::Timeout(format!(
                    "the body sent nothing for {} s; send it again",
                    idle.as_secs()
                ))
            })?;
        let Some(frame) = frame else { break };
        let frame = frame.map_err(|e| ApiError::BadBundle {
            message: format!("the body could not be read: {e}"),
            path: None,
        })?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                return Err(ApiError::TooLarge(too_large()));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body that sends one frame, then nothing, forever.
    struct Stalls(bool);

    impl http_body::Body for Stalls {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
            if self.0 {
                return Poll::Pending;
            }
            self.0 = true;
            Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from_static(
                b"start",
            )))))
        }
    }

    #[tokio::test]
    async fn a_stalled_body_is_refused_and_a_large_one_at_its_limit() {
        let stalled = Body::new(Stalls(false));
        let read = read_body_pacing(stalled, 100, Duration::from_millis(50), || "big".into()).await;
        assert!(matches!(read, Err(ApiError::Timeout(_))), "{read:?}");
        let large = Body::from(vec![0u8; 101]);
        let read = read_body_pacing(large, 100, Duration::from_secs(1), || "big".into()).await;
        assert!(matches!(read, Err(ApiError::TooLarge(m)) if m == "big"));
        let fits =
            read_body_pacing(Body::from("ok"), 100, Duration::from_secs(1), String::new).await;
        assert_eq!(fits.unwrap(), Bytes::from_static(b"ok"));
    }
}
