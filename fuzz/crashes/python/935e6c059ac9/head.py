@pydantic.dataclasses.dataclass
class Money2:[[[()]]]