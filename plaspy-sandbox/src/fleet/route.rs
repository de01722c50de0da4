//! Road-like closed routes: stops around a city joined by L-shaped, street-grid legs.

use std::f64::consts::TAU;

use super::city::City;
use super::geo::Point;
use crate::prng::Rng;

/// The longest straight piece of a route, in kilometres (one speed per piece).
const PIECE_KM: f64 = 1.0;

/// One straight piece of a leg.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    /// Where the piece starts.
    pub(crate) from: Point,
    /// Where it ends.
    pub(crate) to: Point,
    /// Its length in kilometres.
    pub(crate) km: f64,
}

/// A closed loop through a depot and a few stops; vehicles drive it stop to stop.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The loop's vertices; piece `i` joins `points[i]` and `points[(i + 1) % len]`.
    points: Vec<Point>,
    /// Kilometres along the loop from `points[0]` to `points[i]`.
    cum_km: Vec<f64>,
    /// The loop's length in kilometres.
    total_km: f64,
    /// Indices of the stops in `points`; `stops[0] == 0` is the depot.
    stops: Vec<usize>,
}

impl Route {
    /// Draws a route in `city`: the depot, then 5 to 8 stops going round the centre.
    pub(crate) fn generate(rng: &mut Rng, city: &City) -> Route {
        let depot = city
            .depot()
            .center
            .offset_km(rng.range(-0.15, 0.15), rng.range(-0.15, 0.15));
        let count = rng.int(5, 8) as usize;
        let base = city.center.bearing_to(depot).to_radians();
        let step = TAU / (count + 1) as f64;
        let mut stops = vec![depot];
        for i in 1..=count {
            let angle = base + step * (i as f64 + rng.range(-0.3, 0.3));
            let r = rng.range(city.radius_km.0, city.radius_km.1);
            stops.push(city.center.offset_km(r * angle.cos(), r * angle.sin()));
        }

        let mut points = Vec::new();
        let mut stop_index = Vec::new();
        for (i, &a) in stops.iter().enumerate() {
            let b = stops[(i + 1) % stops.len()];
            stop_index.push(points.len());
            points.push(a);
            // Streets run north-south and east-west: go along one, then the other.
            let corner = if rng.chance(0.5) {
                Point::new(a.lat, b.lon)
            } else {
                Point::new(b.lat, a.lon)
            };
            subdivide(&mut points, a, corner);
            if a.distance_km(corner) > 0.01 && corner.distance_km(b) > 0.01 {
                points.push(corner);
            }
            subdivide(&mut points, corner, b);
        }

        let mut cum_km = Vec::with_capacity(points.len());
        let mut total_km = 0.0;
        for (i, p) in points.iter().enumerate() {
            cum_km.push(total_km);
            total_km += p.distance_km(points[(i + 1) % points.len()]);
        }
        Route {
            points,
            cum_km,
            total_km,
            stops: stop_index,
        }
    }

    /// How many stops (and so legs) the loop has.
    pub(crate) fn stop_count(&self) -> usize {
        self.stops.len()
    }

    /// The loop's length in kilometres.
    pub(crate) fn total_km(&self) -> f64 {
        self.total_km
    }

    /// Kilometres along the loop from the depot to stop `leg`.
    pub(crate) fn km_to_stop(&self, leg: usize) -> f64 {
        self.cum_km[self.stops[leg]]
    }

    /// The pieces of leg `leg`, from stop `leg` to the next stop.
    pub(crate) fn leg(&self, leg: usize) -> Vec<Piece> {
        let start = self.stops[leg];
        let end = self
            .stops
            .get(leg + 1)
            .copied()
            .unwrap_or(self.points.len());
        (start..end)
            .map(|i| {
                let from = self.points[i];
                let to = self.points[(i + 1) % self.points.len()];
                Piece {
                    from,
                    to,
                    km: from.distance_km(to),
                }
            })
            .collect()
    }
}

/// Pushes the points strictly between `a` and `b`, at most [`PIECE_KM`] apart.
fn subdivide(points: &mut Vec<Point>, a: Point, b: Point) {
    let pieces = (a.distance_km(b) / PIECE_KM).ceil().max(1.0) as usize;
    for k in 1..pieces {
        points.push(a.lerp(b, k as f64 / pieces as f64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::city::BOGOTA;

    #[test]
    fn legs_join_up_into_a_loop() {
        let route = Route::generate(&mut Rng::new(3), &BOGOTA);
        assert!(route.stop_count() >= 6);
        let mut total = 0.0;
        let mut end = None;
        for leg in 0..route.stop_count() {
            let pieces = route.leg(leg);
            assert!(!pieces.is_empty());
            if let Some(end) = end {
                assert_eq!(pieces[0].from, end);
            }
            assert!((route.km_to_stop(leg) - total).abs() < 1e-9);
            for p in &pieces {
                assert!(p.km <= PIECE_KM + 1e-9);
                total += p.km;
            }
            end = Some(pieces.last().unwrap().to);
        }
        assert_eq!(end, Some(route.leg(0)[0].from));
        assert!((total - route.total_km()).abs() < 1e-6);
        assert!(BOGOTA.depot().contains(route.leg(0)[0].from));
    }
}
