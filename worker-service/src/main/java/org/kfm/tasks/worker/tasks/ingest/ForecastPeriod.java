package org.kfm.tasks.worker.tasks.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One period of a grid cell's forecast: the {@code forecast_periods} row, shared by every user
 * (public reference data, no owner).
 */
@Entity
@Table(name = "forecast_periods")
public class ForecastPeriod extends PanacheEntityBase {
  @EmbeddedId public PeriodKey id;

  @Column(name = "end_time")
  public Instant endTime;

  @Column(name = "period_number")
  public int periodNumber;

  public String name;

  @Column(name = "is_daytime")
  public boolean daytime;

  public double temperature;

  /** {@code F} or {@code C}, as the upstream sent it. */
  @Column(name = "temperature_unit")
  public String temperatureUnit;

  /** Free text upstream ({@code "5 to 10 mph"}); kept as sent. */
  @Column(name = "wind_speed")
  public String windSpeed;

  @Column(name = "wind_direction")
  public String windDirection;

  @Column(name = "short_forecast")
  public String shortForecast;

  @Column(name = "detailed_forecast")
  public String detailedForecast;

  /** Percent, or null when the upstream gave none. */
  @Column(name = "precipitation_probability")
  public Integer precipitationProbability;

  @Column(name = "grid_lon")
  public Double gridLon;

  @Column(name = "grid_lat")
  public Double gridLat;

  @Column(name = "upstream_updated")
  public Instant upstreamUpdated;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;
}
