//! What the server tells its operators: request and generation metrics,
//! exposed as Prometheus text or written as CloudWatch EMF lines on Lambda.

pub(crate) mod metrics;
