//! One policy for every request body, applied before any handler sees it: a cap on the whole
//! body (a claimed `Content-Length` over it is refused before a byte is read; a chunked body is
//! cut off when it passes it), an idle timeout (no byte for a while) and a minimum average
//! rate once a grace period is over. A socket that sends a header and then nothing, or a
//! trickle, is let go instead of holding a connection and memory forever.
//!
//! Handlers see a violation as a `PayloadError`; `problem` turns it into the answer.
//!
//! A body the handler stopped reading (a violation, or any early answer) is not drained: the
//! unread payload is kept alive until the answer is written, which makes actix close the
//! connection after it instead of reading an endless chunked body to its end.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use bytes::Bytes;
use futures_util::Stream;
use tokio::time::{Instant, Sleep};

use crate::error::ApiError;

type BoxedBody = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    /// The most bytes one request body may have.
    pub max_bytes: u64,
    /// The longest wait for the next byte.
    pub idle: Duration,
    /// Bytes per second a body must average once `grace` has passed.
    pub min_rate: u64,
    pub grace: Duration,
}

/// Where a guarded body leaves its unread rest when the handler lets go of it.
type UnreadSlot = Rc<RefCell<Option<Payload>>>;

/// The middleware: checks the claimed length, then guards the body's stream.
pub async fn guard<B: MessageBody + 'static>(
    limits: BodyLimits,
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B, HoldUnread>>, actix_web::Error> {
    if !may_have_body(&req) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    if let Some(claimed) = claimed_length(&req)
        && claimed > limits.max_bytes
    {
        return Err(too_large(limits.max_bytes).into());
    }
    let unread = UnreadSlot::default();
    let inner = req.take_payload();
    let guarded: BoxedBody = Box::pin(GuardedBody::new(inner, limits, unread.clone()));
    req.set_payload(Payload::from(guarded));
    let response = next.call(req).await?;
    let Some(rest) = unread.borrow_mut().take() else {
        return Ok(response.map_into_left_body());
    };
    Ok(response.map_body(|_, body| {
        EitherBody::right(HoldUnread {
            body: body.boxed(),
            _rest: rest,
        })
    }))
}

/// An answer's body that keeps the request's unread payload alive while it is written, so the
/// server closes the connection afterwards rather than draining what the client still sends.
pub struct HoldUnread {
    body: BoxBody,
    _rest: Payload,
}

impl MessageBody for HoldUnread {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}

/// HTTP/1.1 announces every body with one of the two headers; without them there is none.
fn may_have_body(req: &ServiceRequest) -> bool {
    req.headers().contains_key(header::TRANSFER_ENCODING)
        || claimed_length(req).is_some_and(|len| len > 0)
}

fn claimed_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn too_large(max_bytes: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the request body is over the limit of {max_bytes} bytes"
    ))
}

/// The answer for a body that could not be read: too large (413), too slow (408), else 400.
pub fn problem(error: &PayloadError) -> ApiError {
    match error {
        PayloadError::Overflow => {
            ApiError::PayloadTooLarge("the request body is over the configured limit".into())
        }
        PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            ApiError::RequestTimeout(io.to_string())
        }
        other => ApiError::BadRequest(format!("the request body could not be read: {other}")),
    }
}

struct GuardedBody {
    inner: Payload,
    limits: BodyLimits,
    started: Instant,
    received: u64,
    idle: Pin<Box<Sleep>>,
    /// Set once the body ended (or failed); a clean end leaves nothing unread.
    finished: bool,
    complete: bool,
    unread: UnreadSlot,
}

impl GuardedBody {
    fn new(inner: Payload, limits: BodyLimits, unread: UnreadSlot) -> Self {
        let started = Instant::now();
        Self {
            inner,
            limits,
            started,
            received: 0,
            idle: Box::pin(tokio::time::sleep_until(started + limits.idle)),
            finished: false,
            complete: false,
            unread,
        }
    }

    fn too_slow(&self, now: Instant) -> bool {
        let elapsed = now.duration_since(self.started);
        let Some(counted) = elapsed.checked_sub(self.limits.grace) else {
            return false;
        };
        let owed = u128::from(self.limits.min_rate) * counted.as_millis() / 1000;
        u128::from(self.received) < owed
    }

    fn fail(&mut self, error: PayloadError) -> Poll<Option<Result<Bytes, PayloadError>>> {
        self.finished = true;
        Poll::Ready(Some(Err(error)))
    }
}

fn timed_out(why: String) -> PayloadError {
    PayloadError::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, why))
}

impl Stream for GuardedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let now = Instant::now();
                if this.received > this.limits.max_bytes {
                    return this.fail(PayloadError::Overflow);
                }
                if this.too_slow(now) {
                    return this.fail(timed_out(format!(
                        "the request body arrived slower than {} bytes a second",
                        this.limits.min_rate
                    )));
                }
                this.idle.as_mut().reset(now + this.limits.idle);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => {
                this.finished = true;
                this.complete = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => this.fail(e),
            Poll::Pending => match this.idle.as_mut().poll(cx) {
                Poll::Ready(()) => this.fail(timed_out(format!(
                    "no part of the request body arrived for {} s",
                    this.limits.idle.as_secs()
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl Drop for GuardedBody {
    fn drop(&mut self) {
        if !self.complete {
            let rest = std::mem::replace(&mut self.inner, Payload::None);
            self.unread.borrow_mut().replace(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn limits() -> BodyLimits {
        BodyLimits {
            max_bytes: 10,
            idle: Duration::from_secs(5),
            min_rate: 100,
            grace: Duration::from_secs(10),
        }
    }

    fn body_of(chunks: &[&'static [u8]]) -> Payload {
        let stream = futures_util::stream::iter(
            chunks
                .iter()
                .map(|c| Ok::<_, PayloadError>(Bytes::from_static(c)))
                .collect::<Vec<_>>(),
        );
        let boxed: BoxedBody = Box::pin(stream);
        Payload::from(boxed)
    }

    #[tokio::test]
    async fn a_body_within_the_cap_passes_untouched() {
        let mut body = GuardedBody::new(
            body_of(&[b"hello", b"world"]),
            limits(),
            UnreadSlot::default(),
        );
        let mut all = Vec::new();
        while let Some(chunk) = body.next().await {
            all.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(all, b"helloworld");
    }

    #[tokio::test]
    async fn a_body_past_the_cap_is_cut_off_as_an_overflow() {
        let mut body = GuardedBody::new(
            body_of(&[b"hello", b"world", b"!"]),
            limits(),
            UnreadSlot::default(),
        );
        assert!(body.next().await.expect("first").is_ok());
        assert!(body.next().await.expect("second").is_ok());
        let third = body.next().await.expect("third");
        assert!(matches!(third, Err(PayloadError::Overflow)));
        assert!(body.next().await.is_none(), "nothing after the cut");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stops_arriving_times_out() {
        let never: BoxedBody = Box::pin(futures_util::stream::pending());
        let mut body = GuardedBody::new(Payload::from(never), limits(), UnreadSlot::default());
        let error = body.next().await.expect("an error").expect_err("timed out");
        assert!(matches!(problem(&error), ApiError::RequestTimeout(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickle_below_the_minimum_rate_times_out_after_the_grace() {
        // a byte every 4 s: never idle for 5 s, but far below 100 bytes a second
        let trickle = futures_util::stream::unfold((), |()| async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            Some((Ok::<_, PayloadError>(Bytes::from_static(b"x")), ()))
        });
        let boxed: BoxedBody = Box::pin(trickle);
        let limits = BodyLimits {
            max_bytes: 1 << 20,
            ..limits()
        };
        let mut body = GuardedBody::new(Payload::from(boxed), limits, UnreadSlot::default());
        let mut delivered = 0;
        let error = loop {
            match body.next().await.expect("an item") {
                Ok(_) => delivered += 1,
                Err(e) => break e,
            }
        };
        assert!(matches!(problem(&error), ApiError::RequestTimeout(_)));
        assert_eq!(delivered, 2, "bytes within the 10 s grace pass");
    }

    #[tokio::test]
    async fn a_body_let_go_before_its_end_leaves_its_rest_to_be_held() {
        let unread = UnreadSlot::default();
        let mut body = GuardedBody::new(body_of(&[b"hello", b"world"]), limits(), unread.clone());
        assert!(body.next().await.expect("first").is_ok());
        drop(body);
        assert!(unread.borrow().is_some());
    }

    #[tokio::test]
    async fn a_body_read_to_its_end_leaves_nothing_to_hold() {
        let unread = UnreadSlot::default();
        let mut body = GuardedBody::new(body_of(&[b"hello"]), limits(), unread.clone());
        while body.next().await.is_some() {}
        drop(body);
        assert!(unread.borrow().is_none());
    }

    #[test]
    fn overflow_is_413_and_timeouts_are_408() {
        use actix_web::ResponseError;
        assert_eq!(problem(&PayloadError::Overflow).status_code().as_u16(), 413);
        assert_eq!(
            problem(&timed_out("slow".into())).status_code().as_u16(),
            408
        );
        assert_eq!(
            problem(&PayloadError::Incomplete(None))
                .status_code()
                .as_u16(),
            400
        );
    }
}
