//! Running the service, as its operator sees it: the error reports the web
//! app sends, the daily figures the store keeps beside the records they
//! count, and the statistics built from them for the Admin page and
//! `promptcanvas stats`.

pub mod client_errors;
pub mod stats;
