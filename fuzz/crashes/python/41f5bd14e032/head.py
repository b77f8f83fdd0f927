@pydantic.dataclasses.dataclass
class ApiModel(ApiModel):model_config