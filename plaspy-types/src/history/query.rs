use super::{Timed, Window};
use crate::endpoints::{QueryAlerts, QueryAlertsChecked, QueryLocations, QueryLocationsChecked};
use crate::envelope::Checked;
use crate::{AlertEvent, AlertsQuery, Endpoint, Location, LocationsQuery};

/// A date-range query that can be cut into windows: `LocationsQuery` and `AlertsQuery`.
pub trait HistoryQuery: Clone + Send + Sync + 'static {
    /// What the query returns a list of.
    type Item: Timed + PartialEq + Clone + Send + Sync + 'static;
    /// The endpoint that runs one window of the query, reporting the items set aside.
    type Endpoint<'a>: Endpoint<Output = Checked<Self::Item>> + Send + Sync
    where
        Self: 'a;

    /// The range of the query.
    fn range(&self) -> Window;
    /// The same query over another window.
    fn with_window(&self, window: Window) -> Self;
    /// The endpoint for this query on device `id`.
    fn endpoint<'a>(&'a self, id: &'a str) -> Self::Endpoint<'a>;
}

impl HistoryQuery for LocationsQuery {
    type Item = Location;
    type Endpoint<'a> = QueryLocationsChecked<'a>;

    fn range(&self) -> Window {
        Window {
            from: self.from,
            to: self.to,
        }
    }

    fn with_window(&self, window: Window) -> Self {
        LocationsQuery {
            from: window.from,
            to: window.to,
            location: self.location.clone(),
        }
    }

    fn endpoint<'a>(&'a self, id: &'a str) -> QueryLocationsChecked<'a> {
        QueryLocationsChecked(QueryLocations { id, query: self })
    }
}

impl HistoryQuery for AlertsQuery {
    type Item = AlertEvent;
    type Endpoint<'a> = QueryAlertsChecked<'a>;

    fn range(&self) -> Window {
        Window {
            from: self.from,
            to: self.to,
        }
    }

    fn with_window(&self, window: Window) -> Self {
        AlertsQuery {
            from: window.from,
            to: window.to,
            alert_name: self.alert_name.clone(),
        }
    }

    fn endpoint<'a>(&'a self, id: &'a str) -> QueryAlertsChecked<'a> {
        QueryAlertsChecked(QueryAlerts { id, query: self })
    }
}
