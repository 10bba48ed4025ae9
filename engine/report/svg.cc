// SVG charts; see svg.h.
#include "engine/report/svg.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <utility>

#include "engine/io/results_view.h"

namespace peacesim::report {

namespace {

std::string num(double x) { return io::fmt("%.1f", std::abs(x) < 0.05 ? 0.0 : x); }

// Marks with a coordinate that is not a number (a value missing from hand-edited results) are
// left out rather than drawn at a wrong place.
bool finite(std::initializer_list<double> values) {
  for (double v : values)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

double legend_column(const std::vector<std::string>& names) {
  std::size_t longest = 0;
  for (const auto& n : names) longest = std::max(longest, n.size());
  return std::max(120.0, 36 + 6.4 * static_cast<double>(longest));
}

std::string attribute_id(std::string_view text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : io::printable(text)) {  // control characters too, which HTML does not allow
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* series_colour(int i) {
  // Okabe & Ito (2008), "Color universal design"; yellow last, as it is faint on white.
  static const char* colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                  "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return colours[i % 8];
}

const char* series_dash(int i) {
  static const char* dashes[] = {"", "6 3", "2 2", "8 3 2 3"};
  return dashes[(i / 8) % 4];
}

Axis::Axis(double lo, double hi) : lo_(lo), hi_(hi) {
  if (!(std::abs(hi_ - lo_) > 0)) hi_ = lo_ + 1;
  const double raw = std::abs(hi_ - lo_) / 5;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / p;
  step_ = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

double Axis::map(double v, double a, double b) const { return a + (v - lo_) / (hi_ - lo_) * (b - a); }

std::vector<double> Axis::ticks() const {
  std::vector<double> t;
  const double lo = std::min(lo_, hi_), hi = std::max(lo_, hi_);
  for (double v = std::ceil(lo / step_ - 1e-9) * step_; v <= hi + 1e-9 * step_; v += step_)
    t.push_back(std::abs(v) < 1e-12 * step_ ? 0.0 : v);
  return t;
}

std::string Axis::label(double v) const {
  char unit[32];
  if (step_ >= 1e4) {
    const bool millions = step_ >= 1e6;
    std::snprintf(unit, sizeof unit, "%g %s", std::abs(v) / (millions ? 1e6 : 1e3), millions ? "M" : "k");
    return (v < 0 ? "\u2212" : "") + std::string(v == 0 ? "0" : unit);
  }
  if (step_ >= 1) return io::grouped(v, "\u2212");
  std::string s = io::fmt(step_ >= 0.1 ? "%.1f" : step_ >= 0.01 ? "%.2f" : "%.3f", v);
  if (s[0] == '-') s = "\u2212" + s.substr(1);
  return s;
}

Chart::Chart(std::string id, std::string title, std::string description, double width, double height, Axis x, Axis y,
             Margins margins)
    : id_(attribute_id(id)),
      title_(std::move(title)),
      description_(std::move(description)),
      w_(width),
      h_(height),
      x_(x),
      y_(y),
      m_(margins) {}

void Chart::axes(const std::string& x_title, const std::string& y_title, bool y_ticks) {
  const double x0 = m_.left, x1 = w_ - m_.right, y0 = h_ - m_.bottom, y1 = m_.top;
  for (double t : x_.ticks()) {
    const double x = px(t);
    body_ += "<line class=\"grid\" x1=\"" + num(x) + "\" y1=\"" + num(y0) + "\" x2=\"" + num(x) + "\" y2=\"" + num(y1) +
             "\"/><text class=\"tick\" x=\"" + num(x) + "\" y=\"" + num(y0 + 14) + "\" text-anchor=\"middle\">" +
             escape(x_.label(t)) + "</text>";
  }
  if (y_ticks)
    for (double t : y_.ticks()) {
      const double y = py(t);
      body_ += "<line class=\"grid\" x1=\"" + num(x0) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x1) + "\" y2=\"" +
               num(y) + "\"/><text class=\"tick\" x=\"" + num(x0 - 5) + "\" y=\"" + num(y + 3.5) +
               "\" text-anchor=\"end\">" + escape(y_.label(t)) + "</text>";
    }
  body_ += "<rect class=\"frame\" x=\"" + num(x0) + "\" y=\"" + num(y1) + "\" width=\"" + num(x1 - x0) +
           "\" height=\"" + num(y0 - y1) + "\"/>";
  body_ += "<text class=\"axis-title\" x=\"" + num((x0 + x1) / 2) + "\" y=\"" + num(y0 + 32) +
           "\" text-anchor=\"middle\">" + escape(x_title) + "</text>";
  if (!y_title.empty())
    body_ += "<text class=\"axis-title\" transform=\"translate(14 " + num((y0 + y1) / 2) +
             ") rotate(-90)\" text-anchor=\"middle\">" + escape(y_title) + "</text>";
}

void Chart::categories(const std::vector<std::string>& labels) {
  for (std::size_t i = 0; i < labels.size(); ++i)
    body_ += "<text class=\"tick\" x=\"" + num(m_.left - 6) + "\" y=\"" + num(py(static_cast<double>(i)) + 3.5) +
             "\" text-anchor=\"end\">" + escape(labels[i]) + "</text>";
}

void Chart::line(const std::vector<double>& x, const std::vector<double>& y, const char* colour, double width,
                 const char* dash) {
  std::string pts;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (finite({x[i], y[i]})) pts += (pts.empty() ? "" : " ") + num(px(x[i])) + "," + num(py(y[i]));
  body_ += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + num(width) + "\"" +
           (*dash ? " stroke-dasharray=\"" + std::string(dash) + "\"" : "") + " points=\"" + pts + "\"/>";
}

void Chart::band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
                 const char* colour, double opacity) {
  const std::size_t n = std::min({x.size(), lo.size(), hi.size()});
  for (std::size_t i = 0; i < n; ++i)
    if (!finite({x[i], lo[i], hi[i]})) return;
  std::string pts;
  for (std::size_t i = 0; i < n; ++i) pts += (i ? " " : "") + num(px(x[i])) + "," + num(py(hi[i]));
  for (std::size_t i = n; i-- > 0;) pts += " " + num(px(x[i])) + "," + num(py(lo[i]));
  char op[16];
  std::snprintf(op, sizeof op, "%.2f", opacity);
  body_ += "<polygon fill=\"" + std::string(colour) + "\" fill-opacity=\"" + op + "\" stroke=\"none\" points=\"" + pts +
           "\"/>";
}

void Chart::rect(double x0, double y0, double x1, double y1, const char* fill, double opacity, const char* extra) {
  if (!finite({x0, y0, x1, y1})) return;
  const double a = std::min(px(x0), px(x1)), b = std::max(px(x0), px(x1));
  const double c = std::min(py(y0), py(y1)), d = std::max(py(y0), py(y1));
  char op[16];
  std::snprintf(op, sizeof op, "%.2f", opacity);
  body_ += "<rect x=\"" + num(a) + "\" y=\"" + num(c) + "\" width=\"" + num(std::max(b - a, 0.5)) + "\" height=\"" +
           num(std::max(d - c, 0.5)) + "\" fill=\"" + fill + "\" fill-opacity=\"" + op + "\" " + extra + "/>";
}

void Chart::segment(double x0, double y0, double x1, double y1, const char* colour, double width, const char* dash) {
  if (!finite({x0, y0, x1, y1})) return;
  body_ += "<line x1=\"" + num(px(x0)) + "\" y1=\"" + num(py(y0)) + "\" x2=\"" + num(px(x1)) + "\" y2=\"" +
           num(py(y1)) + "\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) + "\"" +
           (*dash ? " stroke-dasharray=\"" + std::string(dash) + "\"" : "") + "/>";
}

void Chart::dot(double x, double y, double radius, const char* fill, const char* stroke) {
  if (!finite({x, y})) return;
  body_ += "<circle cx=\"" + num(px(x)) + "\" cy=\"" + num(py(y)) + "\" r=\"" + num(radius) + "\" fill=\"" + fill +
           "\" stroke=\"" + stroke + "\"/>";
}

void Chart::text(double x, double y, const std::string& s, const char* anchor, const char* cls) {
  if (!finite({x, y})) return;
  body_ += "<text x=\"" + num(px(x)) + "\" y=\"" + num(py(y)) + "\" text-anchor=\"" + anchor + "\"" +
           (*cls ? " class=\"" + std::string(cls) + "\"" : "") + ">" + escape(s) + "</text>";
}

void Chart::legend(const std::vector<std::string>& names, const std::vector<const char*>& colours,
                   const std::vector<const char*>& dashes) {
  const double column = legend_column(names);
  const int per_row = std::max(1, static_cast<int>((w_ - m_.left - m_.right) / column));
  const int rows = (static_cast<int>(names.size()) + per_row - 1) / per_row;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double x = m_.left + column * static_cast<double>(static_cast<int>(i) % per_row);
    const double y = h_ - 16.0 * (rows - static_cast<int>(i) / per_row) + 4;
    const char* dash = i < dashes.size() ? dashes[i] : "";
    body_ += "<line x1=\"" + num(x) + "\" y1=\"" + num(y - 4) + "\" x2=\"" + num(x + 22) + "\" y2=\"" + num(y - 4) +
             "\" stroke=\"" + colours[i] + "\" stroke-width=\"3\"" +
             (*dash ? " stroke-dasharray=\"" + std::string(dash) + "\"" : "") + "/><text class=\"tick\" x=\"" +
             num(x + 27) + "\" y=\"" + num(y) + "\">" + escape(names[i]) + "</text>";
  }
}

std::string Chart::str() const {
  return "<svg id=\"" + id_ + "\" class=\"chart\" viewBox=\"0 0 " + num(w_) + " " + num(h_) +
         "\" role=\"img\" aria-labelledby=\"" + id_ + "-t " + id_ + "-d\" xmlns=\"http://www.w3.org/2000/svg\">" +
         "<title id=\"" + id_ + "-t\">" + escape(title_) + "</title><desc id=\"" + id_ + "-d\">" +
         escape(description_) + "</desc><text class=\"chart-title\" x=\"" + num(m_.left) + "\" y=\"18\">" +
         escape(title_) + "</text>" + body_ + "</svg>";
}

}  // namespace peacesim::report
