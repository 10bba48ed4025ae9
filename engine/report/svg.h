// Inline SVG charts for the HTML report: axes with ticks and labels, lines, bands, bars and
// markers, each chart carrying a title and a text alternative (role="img", <title>, <desc>).
// Colours come from the Okabe-Ito palette, which stays distinguishable with the common forms of
// colour blindness; series beyond its eight colours also change dash pattern.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace peacesim::report {

// Escapes text for HTML and SVG (&, <, >, ").
std::string escape(std::string_view text);

// An id safe in any attribute (and as a URL fragment): letters, digits, '-' and '_', anything else
// '_'. Chart ids carry option ids, which a results file may hold in any form.
std::string attribute_id(std::string_view text);

// The i-th series colour and dash pattern ("" for solid).
const char* series_colour(int i);
const char* series_dash(int i);

// Width of one legend entry for these names (swatch and text at 11px).
double legend_column(const std::vector<std::string>& names);

// A linear axis from lo to hi (hi < lo reverses it: categorical rows run top down) with "nice"
// ticks (1, 2 or 5 times a power of ten).
class Axis {
 public:
  Axis(double lo, double hi);
  // Position of v between a (at lo) and b (at hi).
  double map(double v, double a, double b) const;
  std::vector<double> ticks() const;
  std::string label(double v) const;  // "250", "1,500", "50 k", "2 M" or "0.25"

 private:
  double lo_, hi_, step_;
};

class Chart {
 public:
  struct Margins {
    double left = 64, right = 16, top = 30, bottom = 44;
  };
  // `id` must be unique in the page; `title` is shown at the top and read out with `description`.
  Chart(std::string id, std::string title, std::string description, double width, double height, Axis x, Axis y,
        Margins margins);
  Chart(std::string id, std::string title, std::string description, double width, double height, Axis x, Axis y)
      : Chart(std::move(id), std::move(title), std::move(description), width, height, x, y, Margins{}) {}

  double px(double x) const { return x_.map(x, m_.left, w_ - m_.right); }
  double py(double y) const { return y_.map(y, h_ - m_.bottom, m_.top); }

  // Grid, ticks and axis titles. With `y_ticks` false the y axis is left for category labels.
  void axes(const std::string& x_title, const std::string& y_title, bool y_ticks = true);
  // Labels at y = 0, 1, ... left of the plot (categorical rows).
  void categories(const std::vector<std::string>& labels);
  void line(const std::vector<double>& x, const std::vector<double>& y, const char* colour, double width = 1.8,
            const char* dash = "");
  // A filled band between lo(x) and hi(x).
  void band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
            const char* colour, double opacity);
  // A rectangle given in data coordinates.
  void rect(double x0, double y0, double x1, double y1, const char* fill, double opacity = 1, const char* extra = "");
  void segment(double x0, double y0, double x1, double y1, const char* colour, double width = 1.5,
               const char* dash = "");
  void dot(double x, double y, double radius, const char* fill, const char* stroke = "none");
  // Text at data coordinates; `anchor` is start, middle or end.
  void text(double x, double y, const std::string& s, const char* anchor = "start", const char* cls = "");
  // A legend below the plot (in the bottom margin): coloured swatches and names, in rows.
  void legend(const std::vector<std::string>& names, const std::vector<const char*>& colours,
              const std::vector<const char*>& dashes);
  void raw(const std::string& svg) { body_ += svg; }

  std::string str() const;

 private:
  std::string id_, title_, description_;
  double w_, h_;
  Axis x_, y_;
  Margins m_;
  std::string body_;
};

}  // namespace peacesim::report
